"""The sessions pass: TF1 graph-and-session scripts → eager TF2 (placeholders, sess.run, optimizers).

``graph_to_functions`` is the rule; ``plan`` turns the analysis (``tf1to2.analysis.graph``) into pure
data, ``emit`` turns a plan into edits from ``templates`` (``class_plan`` and ``class_emit`` do the same
for a model class that builds its graph in ``__init__`` and runs it through ``self.sess``),
``optimizers`` binds TF1 optimizer calls to the catalog's optimizer table and ``codes`` lists the pass's
codes (TF450–TF469). See docs/sessions.md.
"""
