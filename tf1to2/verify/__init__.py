"""``tf1to2 verify`` and the checkpoint commands: prove the converted code computes what the original did.

- ``driver``: runs ``tf1_runner.py`` (the original, graph mode, own process, possibly real TF 1.15) and
  ``tf2_runner`` (the converted code, eager, own process), then ``compare``.
- ``session_trace`` (standalone, beside ``tf1_runner.py``) and ``tf2_trace``: each side's script run as a
  program, recording what every ``sess.run`` site and its replacement function return; ``traces``
  compares the two.
- ``binding``: manifest weights ↔ the converted unit's variables; ``slots``: optimizer state;
  ``checkpoints``: ``convert-checkpoint`` and ``diff-checkpoint``.
- ``report``: the results as data; ``tf1to2.render.verify_report`` prints them; ``commands``: the CLI.

Nothing here imports TensorFlow at import time.
"""
