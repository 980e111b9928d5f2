import tensorflow as tf

with tf.variable_scope("my_dense_layer"):
    W = tf.get_variable("weights", shape=[10, 5], initializer=tf.random_normal_initializer())
    b = tf.get_variable("biases", shape=[5], initializer=tf.zeros_initializer())

x = tf.placeholder(tf.float32, shape=[None, 10])
y = tf.matmul(x, W) + b

#Further model definition and training steps would follow...
