"""Organisaties: the comparison of organisations and the profile of one."""
from __future__ import annotations
