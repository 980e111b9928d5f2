"""A siamese network (in the style of ywpkwon/siamese-tf): one tower applied to two inputs inside a
variable scope, the second time after `scope.reuse_variables()`, trained with a contrastive loss."""
import tensorflow as tf


def fc_layer(bottom, n_weight, name):
    assert len(bottom.get_shape()) == 2
    n_prev_weight = bottom.get_shape()[1]
    initer = tf.truncated_normal_initializer(stddev=0.01)
    W = tf.get_variable(name + 'W', dtype=tf.float32, shape=[n_prev_weight, n_weight], initializer=initer)
    b = tf.get_variable(name + 'b', dtype=tf.float32,
                        initializer=tf.constant(0.01, shape=[n_weight], dtype=tf.float32))
    fc = tf.nn.bias_add(tf.matmul(bottom, W), b)
    return fc


def network(x):
    fc1 = fc_layer(x, 64, "fc1")
    ac1 = tf.nn.relu(fc1)
    fc2 = fc_layer(ac1, 64, "fc2")
    ac2 = tf.nn.relu(fc2)
    fc3 = fc_layer(ac2, 2, "fc3")
    return fc3


x1 = tf.placeholder(tf.float32, [None, 784])
x2 = tf.placeholder(tf.float32, [None, 784])

with tf.variable_scope("siamese") as scope:
    o1 = network(x1)
    scope.reuse_variables()
    o2 = network(x2)

# Contrastive loss: similar pairs (y_ = 1) pulled together, others pushed beyond the margin.
y_ = tf.placeholder(tf.float32, [None])
margin = 5.0
eucd2 = tf.reduce_sum(tf.pow(o1 - o2, 2), 1)
eucd = tf.sqrt(eucd2 + 1e-6)
neg = (1.0 - y_) * tf.pow(tf.maximum(margin - eucd, 0.0), 2)
loss = tf.reduce_mean(y_ * eucd2 + neg)
