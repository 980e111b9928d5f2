"""A tf.contrib.layers network: fully_connected with batch_norm as normalizer, dropout, layer_norm."""
import numpy as np
import tensorflow as tf
from tensorflow.contrib import layers

features = tf.placeholder(tf.float32, [None, 20])
is_training = tf.placeholder(tf.bool, [])

hidden = layers.fully_connected(
    features, 64,
    normalizer_fn=layers.batch_norm,
    normalizer_params={"is_training": is_training, "decay": 0.9},
    weights_regularizer=layers.l2_regularizer(1e-4),
)
hidden = layers.dropout(hidden, keep_prob=0.8, is_training=is_training)
hidden = layers.fully_connected(hidden, 32, weights_initializer=layers.xavier_initializer(uniform=False))
hidden = layers.layer_norm(hidden, begin_norm_axis=-1)
logits = layers.fully_connected(hidden, 5, activation_fn=None, scope="logits")
probabilities = tf.nn.softmax(logits)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    batch = np.random.rand(4, 20).astype(np.float32)
    for training in (True, False):
        print(sess.run(probabilities, feed_dict={features: batch, is_training: training}).sum(axis=1))
