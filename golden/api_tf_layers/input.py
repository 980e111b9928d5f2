"""tf.layers is not in TF2; tf.compat.v1.layers needs tf-keras on TF >= 2.16."""
import tensorflow as tf


def classifier(images, training):
    net = tf.layers.conv2d(images, 32, 3, activation=tf.nn.relu)
    net = tf.layers.max_pooling2d(net, 2, 2)
    net = tf.layers.batch_normalization(net, training=training)
    net = tf.layers.flatten(net)
    net = tf.layers.dropout(net, rate=0.5, training=training)
    return tf.layers.dense(net, 10)


spec = tf.layers.InputSpec(ndim=4)
