"""VGG-style blocks written with slim.repeat and a classifier head with slim.stack, as in slim's nets/vgg.py."""
import numpy as np
import tensorflow as tf
import tensorflow.contrib.slim as slim

images = tf.placeholder(tf.float32, [None, 32, 32, 3], name="images")

with slim.arg_scope([slim.conv2d, slim.fully_connected], activation_fn=tf.nn.relu,
                    weights_regularizer=slim.l2_regularizer(0.0005)):
    net = slim.repeat(images, 2, slim.conv2d, 16, [3, 3], scope="conv1")
    net = slim.max_pool2d(net, [2, 2], scope="pool1")
    net = slim.repeat(net, 2, slim.conv2d, 32, [3, 3], scope="conv2")
    net = slim.max_pool2d(net, [2, 2], scope="pool2")
    net = slim.flatten(net, scope="flatten")
    net = slim.stack(net, slim.fully_connected, [64, 32], scope="fc")
    logits = slim.fully_connected(net, 10, activation_fn=None, scope="logits")

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    batch = np.random.rand(2, 32, 32, 3).astype(np.float32)
    print(sess.run(logits, feed_dict={images: batch}).shape)
