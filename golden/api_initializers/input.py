"""Initializers whose TF1 defaults differ from TF2's keep their TF1 numbers (NUMERICS.md)."""
import tensorflow as tf

with tf.variable_scope("dense"):
    w1 = tf.get_variable("w1", [16, 8], initializer=tf.random_normal_initializer())
    w2 = tf.get_variable("w2", [16, 8], initializer=tf.truncated_normal_initializer(stddev=0.02))
    w3 = tf.get_variable("w3", [16, 8], initializer=tf.random_uniform_initializer(seed=3))
    w4 = tf.get_variable("w4", [16, 8], initializer=tf.glorot_uniform_initializer(dtype=tf.float32))
    b1 = tf.get_variable("b1", [8], initializer=tf.zeros_initializer(tf.float32))
    b2 = tf.get_variable("b2", [8], initializer=tf.constant_initializer(0.1, dtype=tf.float32))
    w5 = tf.get_variable("w5", [16, 8], initializer=tf.initializers.random_normal(mean=0.5))
    w6 = tf.get_variable("w6", [16, 8], initializer=tf.variance_scaling_initializer(2.0, "fan_in"))
    w7 = tf.get_variable("w7", [16, 8], initializer=tf.keras.initializers.RandomNormal(stddev=0.1))
