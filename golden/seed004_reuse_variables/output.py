import tensorflow as tf

with tf.compat.v1.variable_scope("my_layer") as scope:
    W = tf.compat.v1.get_variable("weights", shape=[10, 5], initializer=tf.random_normal_initializer(stddev=1.0))
    b = tf.compat.v1.get_variable("biases", shape=[5], initializer=tf.zeros_initializer())
    x1 = tf.compat.v1.placeholder(tf.float32, shape=[None, 10])
    y1 = tf.matmul(x1, W) + b

    scope.reuse_variables() #Enables reuse
    x2 = tf.compat.v1.placeholder(tf.float32, shape=[None, 10])
    y2 = tf.matmul(x2, W) + b

# ... further model definition and training
