"""Initializers whose TF1 defaults differ from TF2's keep their TF1 numbers (NUMERICS.md)."""
import tensorflow as tf


class Dense(tf.keras.layers.Layer):
    """Keras layer holding the TF1 variables of scope ``dense`` and the computations using them."""

    def __init__(self, name="dense", **kwargs):
        super().__init__(name=name, **kwargs)
        self.w1 = self.add_weight(
            name="w1",
            shape=[16, 8],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=1.0),
        )
        self.w2 = self.add_weight(
            name="w2",
            shape=[16, 8],
            initializer=tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=0.02),
        )
        self.w3 = self.add_weight(
            name="w3",
            shape=[16, 8],
            initializer=tf.keras.initializers.RandomUniform(minval=0.0, maxval=1.0, seed=3),
        )
        self.w4 = self.add_weight(
            name="w4",
            shape=[16, 8],
            initializer=tf.keras.initializers.GlorotUniform(),
        )
        self.b1 = self.add_weight(name="b1", shape=[8], initializer=tf.keras.initializers.Zeros())
        self.b2 = self.add_weight(
            name="b2",
            shape=[8],
            initializer=tf.keras.initializers.Constant(value=0.1),
        )
        self.w5 = self.add_weight(
            name="w5",
            shape=[16, 8],
            initializer=tf.keras.initializers.RandomNormal(mean=0.5, stddev=1.0),
        )
        self.w6 = self.add_weight(
            name="w6",
            shape=[16, 8],
            initializer=tf.keras.initializers.VarianceScaling(scale=2.0, mode="fan_in", distribution="truncated_normal"),
        )
        self.w7 = self.add_weight(
            name="w7",
            shape=[16, 8],
            initializer=tf.keras.initializers.RandomNormal(stddev=0.1),
        )
        self.built = True  # holds weights only: Keras never calls it to build it


dense = Dense()
