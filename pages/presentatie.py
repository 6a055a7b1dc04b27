import datetime as dt
from zoneinfo import ZoneInfo

import streamlit as st

from components import context, data, session_builder, slides, views
from components.context import page_context
from gezinsmonitor import organisations, pseudonym, sessions
from gezinsmonitor import permissions as perm

REFRESH_SECONDS = 20  # a new upload shows on the wall within half a minute
POSITION, NAMES, SEEN, NOTICE = "pz_position", "pz_names", "pz_revision", "pz_notice"

# A link opened on the projector starts with the room's view: wide, no sidebar.
st.set_page_config(layout="wide", initial_sidebar_state="collapsed")
ctx = page_context()  # the sidebar's filters: for the session builder only; every slide has its own
engine = data.get_store().engine

slug = st.query_params.get("sessie", sessions.DEFAULT_SLUG)
session = sessions.load(engine, slug)
if session is None:
    st.warning(f"De sessie '{slug}' bestaat niet (meer); de standaardsessie wordt getoond.", icon=":material/link_off:")
    session = sessions.DEFAULT
available = sessions.listing(engine)

sb = st.sidebar
sb.header("Presentatie")
chosen = sb.selectbox("Sessie", [s.slug for s in available], index=[s.slug for s in available].index(session.slug),
                      format_func={s.slug: s.name for s in available}.get, key="pz_session")
if chosen != session.slug:  # another session: from its first slide, with its own letters
    st.query_params["sessie"] = chosen
    st.query_params["dia"] = "1"
    for key in (POSITION, NAMES):
        st.session_state.pop(key, None)
    st.rerun()
learning_circle = ctx.access.role.anonymous  # sees letters already (permissions.Access.dataset)
anonymise = learning_circle or sb.toggle("Namen anonimiseren (Organisatie A, B, C …)", value=session.anonymise,
                                         key=f"pz_anon_{session.slug}",
                                         help="Dezelfde letter voor een organisatie in de hele sessie.")
sb.caption("De filters hierboven gelden niet voor de dia's: elke dia heeft de filters van de sessie. Ze worden "
           "gebruikt bij 'Sessie samenstellen'.")

total = len(session.slides)
if POSITION not in st.session_state:
    asked = st.query_params.get("dia", "1")
    st.session_state[POSITION] = sessions.slide_index(int(asked) - 1 if asked.isdigit() else 0, total)


def go(step: int) -> None:
    st.session_state[POSITION] = sessions.slide_index(st.session_state[POSITION] + step, total)


def shown_names(full) -> dict[str, str]:
    """Letters kept for the whole session; a newcomer during the session gets the next one."""
    st.session_state[NAMES] = organisations.lasting_names(st.session_state.get(NAMES, {}),
                                                          full.families["organisation"], pseudonym.secret())
    return st.session_state[NAMES]


letters = anonymise and not learning_circle
names = shown_names(ctx.full) if letters else {}
own = ctx.access.principal.organisation
options = sorted(set(names.values()) if letters else set(ctx.full.families["organisation"].dropna()))
default = names.get(own, own)
highlight = sb.selectbox("Eigen organisatie uitlichten", [None, *options],
                         index=options.index(default) + 1 if default in options else 0,
                         format_func=lambda o: "geen" if o is None else o, key="pz_highlight",
                         help="Uw organisatie valt op in de dia's die organisaties naast elkaar zetten.")


@st.fragment(run_every=REFRESH_SECONDS)
def slide() -> None:
    position = st.session_state[POSITION] = sessions.slide_index(st.session_state[POSITION], total)  # may have shrunk
    st.query_params["dia"] = str(position + 1)
    current = session.slides[position]
    here = context.fixed_context(current.filters, current.peildatum or ctx.peildatum, ctx.access)
    if letters:
        here = context.anonymised(here, shown_names(here.full))
    left, middle, right = st.columns([1, 2, 1], vertical_alignment="center")
    left.button("Vorige", icon=":material/arrow_back:", on_click=go, args=(-1,), disabled=position == 0,
                shortcut="Left", key="pz_prev", width="stretch")
    with middle:
        st.html(slides.slide_html(("gm-slide-counter", f"Dia {position + 1} van {total} · {session.name}")))
    right.button("Volgende", icon=":material/arrow_forward:", icon_position="right", on_click=go, args=(1,),
                 disabled=position == total - 1, shortcut="Right", key="pz_next", width="stretch")
    view = views.VIEWS.get(current.view)
    figure = views.build(current.view, here, highlight) if view else None
    if figure is None:
        slides.header(view.theme if view else "", view.title if view else current.view,
                      "Geen gegevens voor deze dia met de filters van de sessie." if view else
                      "Deze weergave bestaat niet (meer); ga door naar de volgende dia.")
    else:
        slides.render(here, figure)

    revision = here.full.revision  # of the dataset this slide was drawn from: every upload, restore, erasure
    if st.session_state.get(SEEN) not in (None, revision):
        at = dt.datetime.now(ZoneInfo("Europe/Amsterdam")).strftime("%H:%M")
        st.session_state[NOTICE] = (f"Bijgewerkt om {at}: er zijn nieuwe gegevens ({here.version}). De dia toont de "
                                    "nieuwe stand.")
        st.toast(st.session_state[NOTICE], icon=":material/sync:")
    st.session_state[SEEN] = revision

    if NOTICE in st.session_state:
        st.caption(st.session_state[NOTICE])


slide()

if ctx.access.may(perm.SESSIONS):
    with st.expander("Sessie samenstellen", icon=":material/edit_note:"):
        session_builder.render(ctx, engine, session)
