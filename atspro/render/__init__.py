"""Renderers: Markdown to HTML (``html``), DOCX (``docx``) and PDF (``pdf``), one entry per
download format (``formats``), and a resume to plain text (``text``).

Nothing is imported here: the rendering worker process loads only the modules its work
needs (``text`` pulls in the resume parser).
"""
