"""The codes of the sessions pass (TF450–TF469) and what each one means."""
from __future__ import annotations

GRAPH_TO_FUNCTIONS = "TF450"
SITE_CONVERTED = "TF451"
SITE_KEPT = "TF452"
OPTIMIZER = "TF453"
OPTIMIZER_KEPT = "TF454"
INITIALIZER_REMOVED = "TF455"
SESSION_REMOVED = "TF456"
GRAPH_MODE_KEPT = "TF457"
PLACEHOLDER = "TF458"
UNUSED_GRAPH = "TF459"
VARIABLE_QUERY = "TF460"
SCHEDULE = "TF461"
GLOBAL_STEP = "TF462"
RANDOM_SEED = "TF463"
FLAGS = "TF464"
APP_RUN = "TF465"
SAVER = "TF466"
SUMMARY_WRITING = "TF467"

SUMMARIES = {
    GRAPH_TO_FUNCTIONS: "graph and session code → eager functions (one per distinct sess.run)",
    SITE_CONVERTED: "sess.run / tensor.eval / op.run → a call of the function that computes its fetches",
    SITE_KEPT: "session site kept as graph code (tf.compat.v1), with the reason",
    OPTIMIZER: "TF1 optimizer → Keras optimizer with TF1's hyperparameters; minimize → GradientTape step",
    OPTIMIZER_KEPT: "TF1 optimizer kept (tf.compat.v1, eager): Keras cannot reproduce it exactly",
    INITIALIZER_REMOVED: "variable initializers and their runs removed: eager variables start initialized",
    SESSION_REMOVED: "tf.Session, sess.close() and graph contexts removed",
    GRAPH_MODE_KEPT: "the file still needs graph mode: tf.compat.v1.disable_eager_execution() inserted or needed",
    PLACEHOLDER: "placeholder → argument of the functions that replace the session sites feeding it",
    UNUSED_GRAPH: "graph code that no session site runs, removed",
    VARIABLE_QUERY: "tf.trainable_variables() / tf.global_variables() → the variables of the layers and "
                    "variables created before",
    SCHEDULE: "tf.train.exponential_decay & co. → a Keras learning-rate schedule driven by optimizer.iterations",
    GLOBAL_STEP: "the global step a train op increments → optimizer.iterations",
    SAVER: "tf.train.Saver → tf.train.Checkpoint; restoring a TF1 checkpoint needs tf1to2 convert-checkpoint",
    SUMMARY_WRITING: "tf.summary.FileWriter and summary ops → tf.summary.create_file_writer and TF2 summaries",
}
