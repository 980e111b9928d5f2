import tensorflow as tf

with tf.compat.v1.variable_scope("my_dense_layer"):
    W = tf.compat.v1.get_variable("weights", shape=[10, 5], initializer=tf.random_normal_initializer(stddev=1.0))
    b = tf.compat.v1.get_variable("biases", shape=[5], initializer=tf.zeros_initializer())

x = tf.compat.v1.placeholder(tf.float32, shape=[None, 10])
y = tf.matmul(x, W) + b

#Further model definition and training steps would follow...
