import tensorflow as tf

with tf.variable_scope("my_layer") as scope:
    W = tf.get_variable("weights", shape=[10, 5], initializer=tf.random_normal_initializer())
    b = tf.get_variable("biases", shape=[5], initializer=tf.zeros_initializer())
    x1 = tf.placeholder(tf.float32, shape=[None, 10])
    y1 = tf.matmul(x1, W) + b

    scope.reuse_variables() #Enables reuse
    x2 = tf.placeholder(tf.float32, shape=[None, 10])
    y2 = tf.matmul(x2, W) + b

# ... further model definition and training
