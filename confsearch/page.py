"""Start the page with the model and the index already loading: ``python -m confsearch.page``.

``make run`` uses this instead of ``streamlit run app.py``: it starts a thread that loads
the question model and the index (:func:`confsearch.web.pagecache.warm`) in the server
process, then hands over to Streamlit's own command line. The first visitor gets the
question box at once; a question asked before loading has finished waits with a Swedish
progress message. Any argument is passed on to ``streamlit run`` (``--server.port 8501``);
the project's ``.streamlit/config.toml`` applies wherever it is started, so the page
listens on 127.0.0.1 unless ``--server.address`` says otherwise
(:mod:`confsearch.web.pageserver`).
"""

from __future__ import annotations

import sys

from confsearch.settings import PROJECT_ROOT, Settings
from confsearch.web import pagecache, pageserver

APP = PROJECT_ROOT / "app.py"


def main(argv: list[str] | None = None) -> int:
    pagecache.warm_in_background(Settings.from_env())
    # Streamlit (heavy) is imported only once the model and index are warming meanwhile.
    from streamlit.web import cli as stcli

    args = pageserver.prepare(list(sys.argv[1:] if argv is None else argv))
    sys.argv = ["streamlit", "run", str(APP), *args]  # defaults: .streamlit/config.toml
    return stcli.main()


if __name__ == "__main__":
    raise SystemExit(main())
