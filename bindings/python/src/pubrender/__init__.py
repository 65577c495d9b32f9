"""pubrender: BibTeX to publication lists, on libpubrender (ctypes).

    import pubrender
    bib = pubrender.parse("papers.bib")
    html = pubrender.render(bib, highlight=["Byungsoo Oh"], group_by="year")

The library is found through PUBRENDER_LIB, a build tree of the checkout,
or the system's library path (see pubrender._lib)."""
from ._lib import EXPECTED_VERSION as __version__
from ._lib import lib as _cdll
from ._bib import (Bibliography, Diagnostic, Entry, Error, Name, PubrenderWarning, parse)
from ._render import DisplayModel, Rendered, display_model, render

library_path: str = _cdll._pubrender_path
library_version: str = (_cdll.pr_version_string() or b"").decode()

__all__ = ["Bibliography", "Diagnostic", "DisplayModel", "Entry", "Error", "Name",
           "PubrenderWarning", "Rendered", "display_model", "library_path", "library_version",
           "parse", "render", "__version__"]
