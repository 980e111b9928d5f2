"""DCGAN (in the style of carpedm20/DCGAN-tensorflow): helpers create their own variables, the
discriminator is built three times reusing every variable of the first, and each player's variables
are selected by name for its optimizer."""
import tensorflow as tf


tf.compat.v1.disable_eager_execution()  # graph-mode code is left in this file (see the report)
def lrelu(x, leak=0.2, name="lrelu"):
    return tf.maximum(x, leak * x)


class Conv2d(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``conv2d``."""

    def __init__(self, output_dim, k_h=5, k_w=5, d_h=2, d_w=2, stddev=0.02, name="conv2d", **kwargs):
        super().__init__(name=name, **kwargs)
        self.output_dim = output_dim
        self.k_h = k_h
        self.k_w = k_w
        self.d_h = d_h
        self.d_w = d_w
        self.stddev = stddev
        self.biases = self.add_weight(
            name="biases",
            shape=[output_dim],
            initializer=tf.keras.initializers.Constant(value=0.0),
        )

    def build(self, input_shape):
        input_shape = tf.TensorShape(input_shape)
        self.w = self.add_weight(
            name="w",
            shape=[self.k_h, self.k_w, input_shape[-1], self.output_dim],
            initializer=tf.keras.initializers.TruncatedNormal(mean=0.0, stddev=self.stddev),
        )

    def call(self, input_):
        conv = tf.nn.conv2d(input_, filters=self.w, strides=[1, self.d_h, self.d_w, 1], padding='SAME')
        conv = tf.reshape(tf.nn.bias_add(conv, self.biases), tf.shape(conv))

        return conv


class Linear(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``linear``."""

    def __init__(self, output_size, stddev=0.02, bias_start=0.0, with_w=False, name=None, **kwargs):
        super().__init__(name=name or "Linear", **kwargs)
        self.output_size = output_size
        self.stddev = stddev
        self.with_w = with_w
        self.bias = self.add_weight(
            name="bias",
            shape=[output_size],
            initializer=tf.keras.initializers.Constant(value=bias_start),
        )

    def build(self, input_shape):
        input_shape = tf.TensorShape(input_shape)
        shape = input_shape.as_list()
        self.matrix = self.add_weight(
            name="Matrix",
            shape=[shape[1], self.output_size],
            initializer=tf.keras.initializers.RandomNormal(mean=0.0, stddev=self.stddev),
            dtype=tf.float32,
        )

    def call(self, input_):
        if self.with_w:
            return tf.matmul(input_, self.matrix) + self.bias, self.matrix, self.bias
        else:
            return tf.matmul(input_, self.matrix) + self.bias


class Discriminator(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``discriminator``."""

    def __init__(self, df_dim=8, name="discriminator", **kwargs):
        super().__init__(name=name, **kwargs)
        self.df_dim = df_dim
        self.d_h0_conv = Conv2d(df_dim, name='d_h0_conv')
        self.d_h1_conv = Conv2d(df_dim * 2, name='d_h1_conv')
        self.d_h2_conv = Conv2d(df_dim * 4, name='d_h2_conv')
        self.d_h3_lin = Linear(1, name='d_h3_lin')

    def call(self, image):
        h0 = lrelu(self.d_h0_conv(image))
        h1 = lrelu(self.d_h1_conv(h0))
        h2 = lrelu(self.d_h2_conv(h1))
        h3 = self.d_h3_lin(tf.reshape(h2, [-1, 4 * 4 * self.df_dim * 4]))

        return tf.nn.sigmoid(h3), h3


class Generator(tf.keras.layers.Layer):
    """Keras layer converted from the TF1 function ``generator``."""

    def __init__(self, gf_dim=8, name="generator", **kwargs):
        super().__init__(name=name, **kwargs)
        self.g_h0_lin = Linear(4 * 4 * gf_dim, name='g_h0_lin')
        self.g_h1_lin = Linear(32 * 32 * 3, name='g_h1_lin')

    def call(self, z):
        h0 = tf.nn.relu(self.g_h0_lin(z))
        h1 = self.g_h1_lin(h0)
        return tf.nn.tanh(tf.reshape(h1, [-1, 32, 32, 3]))


inputs = tf.compat.v1.placeholder(tf.float32, [None, 32, 32, 3], name='real_images')
generated = tf.compat.v1.placeholder(tf.float32, [None, 32, 32, 3], name='generated_images')
z = tf.compat.v1.placeholder(tf.float32, [None, 16], name='z')

generator = Generator()
G = generator(z)
discriminator = Discriminator()
D, D_logits = discriminator(inputs)
D_, D_logits_ = discriminator(generated)
D_g, D_logits_g = discriminator(G)

d_loss_real = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logits, labels=tf.ones_like(D)))
d_loss_fake = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logits_, labels=tf.zeros_like(D_)))
d_loss = d_loss_real + d_loss_fake
g_loss = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logits_g, labels=tf.ones_like(D_g)))

t_vars = generator.trainable_variables + discriminator.trainable_variables
d_vars = discriminator.trainable_variables
g_vars = generator.trainable_variables
