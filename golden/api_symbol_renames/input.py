"""Symbols TF2 renamed, symbols only tf.compat.v1 has, and what stays as it is."""
import tensorflow as tf

images = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")
noise = tf.random_normal(tf.shape(images), stddev=0.1)
logits = tf.layers.flatten(images + noise)  # tf.layers: see api_tf_layers
probabilities = tf.nn.softmax(logits)
log_probabilities = tf.log(probabilities + 1e-8)
entropy = -tf.reduce_sum(probabilities * log_probabilities)
tf.summary.scalar("entropy", entropy)

if tf.gfile.Exists("/tmp/model"):
    tf.gfile.DeleteRecursively("/tmp/model")
tf.logging.set_verbosity(tf.logging.INFO)

cell = tf.nn.rnn_cell.LSTMCell(32)
optimizer = tf.train.AdamOptimizer(learning_rate=1e-3)
keras_optimizer = tf.keras.optimizers.Adam(1e-3)  # already TF2: never .legacy
already_compat = tf.compat.v1.get_default_graph()
merged = tf.summary.merge_all()
init = tf.global_variables_initializer()
