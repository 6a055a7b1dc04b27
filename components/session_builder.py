"""Building a presentation session: views in order, each with the sidebar's filters of the moment it was added."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from gezinsmonitor import formatting, sessions
from gezinsmonitor.sessions import Session, Slide

from . import views
from .context import PageContext

DRAFT = "pz_draft"  # the slides being built: survives reruns and page switches (to set other filters)
NAME, ANONYMISE, VIEW = "pz_name", "pz_anon", "pz_view"


def slide_text(slide: Slide, names_hidden: bool = False) -> str:
    """A slide in the builder's list; `names_hidden` (a learning circle, which sees letters only) gives the number
    of chosen organisations instead of their names."""
    view = views.VIEWS.get(slide.view)
    title = view.title if view else f"onbekende weergave '{slide.view}'"
    peil = f"; peildatum {formatting.date(slide.peildatum)}" if slide.peildatum else ""
    filters = slide.filters
    if names_hidden and filters.organisations is not None:
        filters = filters.renamed({}, unknown="gekozen organisatie")
    return f"{title} — filters: {filters.describe()}{peil}"


def _start(session: Session | None) -> None:
    """Start a draft: empty, or a copy of `session` (the default one is copied under a new name)."""
    st.session_state[DRAFT] = {"slides": list(session.slides) if session else [],
                               "slug": session.slug if session and not session.is_default else ""}
    st.session_state[NAME] = ("" if session is None else
                              f"Kopie van {session.name}" if session.is_default else session.name)
    st.session_state[ANONYMISE] = session.anonymise if session else True


def _move(i: int, step: int) -> None:
    slides = st.session_state[DRAFT]["slides"]
    j = i + step
    if 0 <= j < len(slides):
        slides[i], slides[j] = slides[j], slides[i]


def _drop(i: int) -> None:
    del st.session_state[DRAFT]["slides"][i]


def render(ctx: PageContext, engine, current: Session) -> None:
    st.write("Stel vooraf een sessie samen: kies per dia een weergave; de dia krijgt de filters die nu in de "
             "zijbalk staan. Sla de sessie op en deel de link: iedereen met toegang opent dezelfde dia's, met wat "
             "zijn of haar rol mag zien.")
    cols = st.columns(2)
    cols[0].button("Nieuwe sessie", icon=":material/add:", on_click=_start, args=(None,), key="pz_new")
    cols[1].button(f"Begin met een kopie van '{current.name}'" if current.is_default else
                   f"'{current.name}' bewerken", icon=":material/edit:", on_click=_start, args=(current,), key="pz_edit")
    if DRAFT not in st.session_state:
        _start(None)
    draft = st.session_state[DRAFT]

    st.text_input("Naam van de sessie", key=NAME, max_chars=sessions.MAX_NAME,
                  placeholder="Bijvoorbeeld: Leerkring Noord, maart")
    st.checkbox("Namen van organisaties anonimiseren (Organisatie A, B, C …)", key=ANONYMISE,
                help="Dezelfde letter voor een organisatie in de hele sessie.")
    view = st.selectbox("Weergave", list(views.VIEWS), key=VIEW,
                        format_func=lambda key: f"{views.VIEWS[key].theme}: {views.VIEWS[key].title}")
    peildatum = ctx.peildatum if ctx.peildatum != dt.date.today() else None
    st.caption(f"Filters voor deze dia (uit de zijbalk): {ctx.filters.describe()}"
               + (f"; peildatum {formatting.date(peildatum)}" if peildatum else "; peildatum: die van de kijker"))
    if st.button("Dia toevoegen", icon=":material/add_to_queue:", key="pz_add"):
        if len(draft["slides"]) >= sessions.MAX_SLIDES:
            st.error(f"Een sessie heeft hoogstens {sessions.MAX_SLIDES} dia's.")
        else:
            draft["slides"].append(Slide(view, ctx.filters, peildatum))

    if not draft["slides"]:
        st.info("Nog geen dia's in deze sessie.", icon=":material/slideshow:")
    for i, slide in enumerate(draft["slides"]):
        row = st.columns([10, 1, 1, 1], vertical_alignment="center")
        row[0].markdown(f"**{i + 1}.** {slide_text(slide, ctx.access.role.anonymous)}")
        row[1].button("", icon=":material/arrow_upward:", key=f"pz_up_{i}", on_click=_move, args=(i, -1),
                      disabled=i == 0, help="Eerder")
        row[2].button("", icon=":material/arrow_downward:", key=f"pz_down_{i}", on_click=_move, args=(i, 1),
                      disabled=i == len(draft["slides"]) - 1, help="Later")
        row[3].button("", icon=":material/delete:", key=f"pz_drop_{i}", on_click=_drop, args=(i,), help="Weghalen")

    if st.button("Sessie opslaan", type="primary", icon=":material/save:", key="pz_save"):
        try:
            saved = sessions.save(engine, Session(st.session_state[NAME], tuple(draft["slides"]), slug=draft["slug"],
                                                  anonymise=st.session_state[ANONYMISE]),
                                  views=set(views.VIEWS), replace=bool(draft["slug"]))
        except sessions.Invalid as exc:
            st.error(str(exc), icon=":material/error:")
        else:
            draft["slug"] = saved.slug
            st.success(f"Sessie '{saved.name}' opgeslagen met {len(saved.slides)} dia's. Deel deze link: "
                       f"[presentatie?sessie={saved.slug}](presentatie?sessie={saved.slug})", icon=":material/check:")
    if not current.is_default:
        with st.popover("Deze sessie verwijderen", icon=":material/delete_forever:"):
            st.write(f"'{current.name}' verwijderen? Wie de link opent, krijgt dan de standaardsessie.")
            if st.button("Ja, verwijderen", key="pz_remove", type="primary"):
                sessions.remove(engine, current.slug)
                st.query_params["sessie"] = sessions.DEFAULT_SLUG
                st.rerun()
