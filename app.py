"""Start the web interface on the bundled notices: ``python app.py`` (http://127.0.0.1:7860).

The first start builds the indexes (progress on the console); later starts load them.
"""

from __future__ import annotations

import sys


def main() -> None:
    from assistant.ui import Library, build_ui
    from index.settings import Settings

    settings = Settings()
    library = Library(
        settings, settings.library_dir, progress=lambda message: print(message, file=sys.stderr, flush=True)
    )
    build_ui(library).queue(default_concurrency_limit=2).launch(server_name="127.0.0.1")


if __name__ == "__main__":
    main()
