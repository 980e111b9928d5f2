"""The TF1 way of running on TF 2.x: compat.v1 imported as tf, v2 behaviour switched off."""
import numpy as np
import tensorflow as tf

tf.compat.v1.disable_v2_behavior()

x = tf.compat.v1.placeholder(tf.float32, [None, 4])
class Model(tf.keras.layers.Layer):
    """Keras layer holding the module-level TF1 variables and the computations using them."""

    def __init__(self, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.w = self.add_weight(
            name="w",
            shape=[4, 2],
            initializer=tf.keras.initializers.GlorotUniform(),
        )

    def call(self, x):
        y = tf.nn.relu(tf.matmul(x, self.w))
        return y


model = Model()
y = model(x)
total = tf.reduce_sum(y, axis=1, keepdims=True)

with tf.compat.v1.Session() as sess:
    sess.run(tf.compat.v1.global_variables_initializer())
    print(sess.run(total, feed_dict={x: np.ones([3, 4], np.float32)}))
