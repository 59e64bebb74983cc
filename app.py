"""Start the web interface on the bundled notices: ``python app.py [--port N]`` (http://127.0.0.1:7860).

The same as the installed ``anquan-app`` command; everything lives in `assistant.app`.
"""

from __future__ import annotations

import sys

from assistant.app import main

if __name__ == "__main__":
    sys.exit(main())
