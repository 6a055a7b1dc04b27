import streamlit as st

from components.context import page_context

ctx = page_context()
st.title("Kaart")
