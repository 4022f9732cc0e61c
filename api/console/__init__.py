"""The web console: server-rendered Chinese pages (templates/, static/) and their helpers."""
