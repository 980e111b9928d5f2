"""compat.v1 code that needs no graph mode: the disable call goes with the compat import."""
import tensorflow.compat.v1 as tf

tf.disable_v2_behavior()


def normalize(images):
    mean, variance = tf.nn.moments(images, axes=[1, 2], keep_dims=True)
    return (images - mean) / tf.sqrt(variance + 1e-5)


def augment(images):
    flipped = tf.image.random_flip_left_right(images)
    return tf.clip_by_value(flipped + tf.random_normal(tf.shape(flipped), stddev=0.01), 0.0, 1.0)
