"""A VGG-style Slim stack under arg_scope, at module level."""
import numpy as np
import tensorflow as tf
import tensorflow.contrib.slim as slim

images = tf.placeholder(tf.float32, [None, 32, 32, 3])
is_training = tf.placeholder(tf.bool, [])
batch_norm_params = {"is_training": is_training, "decay": 0.99, "scale": True}

with slim.arg_scope([slim.conv2d, slim.fully_connected],
                    activation_fn=tf.nn.relu,
                    weights_initializer=tf.truncated_normal_initializer(stddev=0.01),
                    weights_regularizer=slim.l2_regularizer(0.0005)):
    with slim.arg_scope([slim.conv2d], normalizer_fn=slim.batch_norm, normalizer_params=batch_norm_params):
        net = slim.conv2d(images, 32, [3, 3], scope="conv1_1")
        net = slim.conv2d(net, 32, [3, 3], scope="conv1_2")
        net = slim.max_pool2d(net, [2, 2], scope="pool1")
        net = slim.conv2d(net, 64, [3, 3], scope="conv2_1")
        net = slim.max_pool2d(net, [2, 2], scope="pool2")
    net = slim.flatten(net)
    net = slim.fully_connected(net, 128, scope="fc3")
    net = slim.dropout(net, 0.5, is_training=is_training, scope="dropout3")
    logits = slim.fully_connected(net, 10, activation_fn=None, scope="fc4")

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    batch = np.random.rand(2, 32, 32, 3).astype(np.float32)
    print(sess.run(logits, feed_dict={images: batch, is_training: False}).shape)
