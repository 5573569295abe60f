"""The figures of the plans: one representation for ask, verify, audit and
the overview.

Modules, one job each, in data-flow order:

* :mod:`.quantities` -- find and normalise quantities in text (the scanner);
* :mod:`.dates` -- calendar dates (ROC, Western, English; ranges) as
  quantities of kind "date";
* :mod:`.units` -- money units: to 元 and back, exact ``Decimal`` equivalence;
* :mod:`.compare` -- is a quantity the same as another / stated in a text;
* :mod:`.labels` -- subject labels (分項, 子項, 經常/資本, 人事費, 核定 …);
* :mod:`.cells` -- a table chunk's figure cells with row and column headers;
* :mod:`.sentences` -- the figures of a sentence with their years and labels;
* :mod:`.extract` -- every figure of a chunk as a :class:`~.extract.Fact`;
* :mod:`.derive` -- derived facts (totals over consecutive years), naming
  their parts;
* :mod:`.docfields`, :mod:`.docfacts` -- document-level facts (title,
  agency, period, cover date, review number, total budget) read from the
  cover, the 基本資料表 and the text; :mod:`.docquestions` -- which of them a
  question asks for;
* :mod:`.store` -- the fact store (SQLite), written at ingest;
* :mod:`.claims` -- read a claim into figures, years, labels and subject;
* :mod:`.matching` -- the facts that can state a claimed figure, scored;
* :mod:`.decision` -- a figure's verdict from its candidates (a model
  fitted on the dev claims);
* :mod:`.verify` -- a claim's verdict from its candidate chunks;
* :mod:`.arithmetic`, :mod:`.audit` -- totals that do not add up, figures
  stated differently in two places;
* :mod:`.overview`, :mod:`.export` -- a plan's figures at a glance; the store
  as CSV/JSON.

Nothing here imports the ask path (:mod:`assistant.query`,
:mod:`assistant.retrieve`, :mod:`assistant.answer` …); language handling both
need is in :mod:`assistant.language`.
"""
