import tensorflow as tf

with tf.compat.v1.variable_scope("shared_weights"):
    W = tf.compat.v1.get_variable("shared_weights", shape=[5, 2], initializer=tf.random_normal_initializer(stddev=1.0))

with tf.compat.v1.variable_scope("layer1"):
    b1 = tf.compat.v1.get_variable("biases", shape=[2], initializer=tf.zeros_initializer())
    x1 = tf.compat.v1.placeholder(tf.float32, shape=[None, 5])
    y1 = tf.matmul(x1, W) + b1

with tf.compat.v1.variable_scope("layer2"):
    b2 = tf.compat.v1.get_variable("biases", shape=[2], initializer=tf.zeros_initializer())
    x2 = tf.compat.v1.placeholder(tf.float32, shape=[None, 5])
    y2 = tf.matmul(x2, W) + b2

# ... further model definition and training
