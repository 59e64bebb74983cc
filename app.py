"""Start the assistant's web interface on the bundled notices: ``python app.py``."""

from __future__ import annotations

import sys


def main() -> None:
    from assistant.ui import build_ui
    from index.settings import Settings
    from index.store import build

    settings = Settings()
    report = build(settings, progress=lambda message: print(message, file=sys.stderr, flush=True))
    build_ui(report.corpus).queue().launch(server_name="127.0.0.1")


if __name__ == "__main__":
    main()
