"""Symbols TF2 renamed, symbols only tf.compat.v1 has, and what stays as it is."""
import tensorflow as tf

tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
images = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1], name="images")
noise = tf.random.normal(tf.shape(images), stddev=0.1)
flatten = tf.keras.layers.Flatten(name="flatten")
logits = flatten(images + noise)  # tf.layers: see api_tf_layers
probabilities = tf.nn.softmax(logits)
log_probabilities = tf.math.log(probabilities + 1e-8)
entropy = -tf.reduce_sum(probabilities * log_probabilities)
tf.compat.v1.summary.scalar("entropy", entropy)

if tf.io.gfile.exists("/tmp/model"):
    tf.io.gfile.rmtree("/tmp/model")
tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.INFO)

cell = tf.compat.v1.nn.rnn_cell.LSTMCell(32)
optimizer = tf.compat.v1.train.AdamOptimizer(learning_rate=1e-3)
keras_optimizer = tf.keras.optimizers.Adam(1e-3)  # already TF2: never .legacy
already_compat = tf.compat.v1.get_default_graph()
merged = tf.compat.v1.summary.merge_all()
init = tf.compat.v1.global_variables_initializer()
