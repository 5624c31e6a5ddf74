"""The analysis engine: pure computation on arrays (numpy and scipy; no Django).

One module per statistic, each with its formula and references in the docstring:

* :mod:`.binning`: times → ISO weeks, months, tertials, years, hour of week (Europe/Stockholm);
  cells → areas.
* :mod:`.fdr`: Benjamini–Hochberg, shared by every test.
* :mod:`.hotspots`: Getis–Ord Gi* on a cell grid (``gi_star(values, neighbors)``).
* :mod:`.trend`: Mann–Kendall trend test.
* :mod:`.emerging`: emerging hot spots (ESRI's patterns).
* :mod:`.change`: a period against its baseline (exact Poisson / negative binomial).
* :mod:`.hottimes`: hour of week × category against independence.
* :mod:`.rates`: rates per 100 000 with exact Poisson intervals; kommuner within a län.
* :mod:`.levels`: the suggested level (grön, gul, orange, röd) and trend per area.
* :mod:`.picture`: ``compute_picture(...)``, the whole lägesbild in one call.
* :mod:`.grid`: the only module that uses the h3 library (cell neighbour matrices); it is
  imported only when needed. :mod:`.cellbits` reads h3 ids with numpy alone.
"""

from samtrygg.analysis.hotspots import GiStarResult, gi_star
from samtrygg.analysis.picture import Period, Picture, PictureSettings, compute_picture

__all__ = ["GiStarResult", "Period", "Picture", "PictureSettings", "compute_picture", "gi_star"]
