"""The engine from the command line: ``atspro parse``, ``score`` and ``tailor`` on local files.

The same offline engine functions the task handlers call, without Redis, PostgreSQL or a
language model:

    inputs   files, folders, URLs and standard input -> Resume and Job
    render   results -> JSON (the API's camelCase names) or Markdown
    batch    a folder in, one JSON line per file out, a progress counter on a terminal
    engine   the four commands, wiring the three together
"""
