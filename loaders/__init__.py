"""Readers that turn uploaded files into the core's raw tables. They never write to the store."""
