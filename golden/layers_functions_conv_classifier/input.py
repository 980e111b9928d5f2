"""A convolutional classifier built by a function from tf.layers calls, without a variable scope."""
import tensorflow as tf

images = tf.placeholder(tf.float32, [None, 28, 28, 1], name="images")


def classifier(images, num_classes=10):
    net = tf.layers.conv2d(images, 16, 3, padding="same", activation=tf.nn.relu)
    net = tf.layers.max_pooling2d(net, 2, 2)
    net = tf.layers.conv2d(net, 32, 3, activation=tf.nn.relu)
    net = tf.layers.max_pooling2d(net, 2, 2)
    net = tf.layers.flatten(net)
    net = tf.layers.dense(net, 64, activation=tf.nn.relu)
    return tf.layers.dense(net, num_classes, name="logits")


logits = classifier(images)
