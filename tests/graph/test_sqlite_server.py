"""A real ``chainkg serve`` on the SQLite store keeps answering /health while an upload is parsed
and written: store calls and uploads run in worker threads, never on the event loop."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
from test_sqlite_persistence import TOKEN, start_server, stop

HEADER = (
    "firm_id,short_name,full_name,stock_code,park,segment,capacity,unit,share,certainty,source,year"
)


def big_local_firms(rows: int) -> bytes:
    lines = [HEADER] + [
        f"up{i:06d},上传企业{i:06d},,,park-a,pv-wafer,1.5,GW,,verified,https://example.org/u,2024"
        for i in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_health_answers_while_an_upload_is_imported(tmp_path: Path, mini_dataset: Path) -> None:
    server, url = start_server(tmp_path / "graph.sqlite", mini_dataset)
    try:
        result: dict[str, httpx.Response] = {}

        def upload() -> None:
            files = {"file": ("local_firms.csv", big_local_firms(6_000), "text/csv")}
            result["import"] = httpx.post(
                f"{url}/api/import/local-firms",
                files=files,
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=600,
            )

        importer = threading.Thread(target=upload)
        importer.start()
        answered = []
        while importer.is_alive():
            answered.append(httpx.get(f"{url}/health", timeout=600).status_code)
        importer.join()
        assert result["import"].status_code == 200, result["import"].text[:500]
        assert len(answered) >= 3 and set(answered) == {200}, answered
        assert httpx.get(f"{url}/health").json()["firms"] >= 6_000
    finally:
        stop(server)
