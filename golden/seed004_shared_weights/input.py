import tensorflow as tf

with tf.variable_scope("shared_weights"):
    W = tf.get_variable("shared_weights", shape=[5, 2], initializer=tf.random_normal_initializer())

with tf.variable_scope("layer1"):
    b1 = tf.get_variable("biases", shape=[2], initializer=tf.zeros_initializer())
    x1 = tf.placeholder(tf.float32, shape=[None, 5])
    y1 = tf.matmul(x1, W) + b1

with tf.variable_scope("layer2"):
    b2 = tf.get_variable("biases", shape=[2], initializer=tf.zeros_initializer())
    x2 = tf.placeholder(tf.float32, shape=[None, 5])
    y2 = tf.matmul(x2, W) + b2

# ... further model definition and training
