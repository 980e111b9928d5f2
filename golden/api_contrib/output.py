"""tf.contrib is gone from TF2: every import and use is reported with its replacement."""
import tensorflow as tf
import tensorflow.contrib.slim as slim
from tensorflow.contrib import layers
tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)

images = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1])
net = slim.conv2d(images, 32, [3, 3], scope="conv1")
net = slim.max_pool2d(net, [2, 2])
net = layers.flatten(net)
net = tf.contrib.layers.fully_connected(net, 128, weights_initializer=tf.contrib.layers.xavier_initializer())
net = tf.contrib.layers.layer_norm(net)
regularizer = tf.contrib.layers.l2_regularizer(1e-4)
cell = tf.compat.v1.nn.rnn_cell.LSTMCell(64)
flat = tf.nest.flatten([net])  # has an exact TF2 name
