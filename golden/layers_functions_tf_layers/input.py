"""A function building a network from tf.layers calls in a variable scope, called twice with reuse."""
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 16], name="x")


def encoder(x, is_training, reuse=False):
    with tf.variable_scope("encoder", reuse=reuse):
        h = tf.layers.dense(x, 64, activation=tf.nn.relu)
        h = tf.layers.batch_normalization(h, training=is_training)
        h = tf.layers.dropout(h, rate=0.1, training=is_training)
        return tf.layers.dense(h, 8, name="code")


train_code = encoder(x, True)
eval_code = encoder(x, False, reuse=True)
