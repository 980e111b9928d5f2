"""A layer helper that reads its scope name besides opening the scope: initial values and an output
scale looked up by scope, as pretrained-weight loaders and per-head settings do."""
import tensorflow as tf

INITIAL_BIAS = {"fc1": 0.1, "fc2": -0.2}
OUTPUT_SCALE = {"fc1": 2.0, "fc2": 0.5}


def linear(x, size, scope):
    with tf.variable_scope(scope):
        w = tf.get_variable("w", [x.get_shape()[1], size],
                            initializer=tf.random_normal_initializer(stddev=0.02))
        b = tf.get_variable("b", [size], initializer=tf.constant_initializer(INITIAL_BIAS[scope]))
        return (tf.matmul(x, w) + b) * OUTPUT_SCALE[scope]


features = tf.placeholder(tf.float32, [None, 6], name="features")
hidden = tf.nn.relu(linear(features, 8, "fc1"))
scores = linear(hidden, 3, "fc2")
