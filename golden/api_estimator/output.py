"""Estimator is not in TensorFlow 2.16+: reported, not converted."""
import tensorflow as tf
from tensorflow.estimator import RunConfig


def model_fn(features, labels, mode):
    logits = tf.compat.v1.layers.dense(features["x"], 2)
    loss = tf.compat.v1.losses.sparse_softmax_cross_entropy(labels, logits)
    train_op = tf.compat.v1.train.AdamOptimizer().minimize(loss, global_step=tf.compat.v1.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


estimator = tf.estimator.Estimator(model_fn, config=RunConfig(model_dir="/tmp/estimator"))
estimator.train(tf.estimator.inputs.numpy_input_fn({"x": None}, shuffle=True), steps=10)
