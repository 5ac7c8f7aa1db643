"""Markup pipeline: Markdown source to sanitised, linkified HTML."""
