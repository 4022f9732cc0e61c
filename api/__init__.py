"""Entry points: the HTTP API (``api.app``), the web console and the ``chainkg`` CLI."""
