"""DCGAN (in the style of carpedm20/DCGAN-tensorflow): helpers create their own variables, the
discriminator is built three times reusing every variable of the first, and each player's variables
are selected by name for its optimizer."""
import tensorflow as tf


def lrelu(x, leak=0.2, name="lrelu"):
    return tf.maximum(x, leak * x)


def conv2d(input_, output_dim, k_h=5, k_w=5, d_h=2, d_w=2, stddev=0.02, name="conv2d"):
    with tf.variable_scope(name):
        w = tf.get_variable('w', [k_h, k_w, input_.get_shape()[-1], output_dim],
                            initializer=tf.truncated_normal_initializer(stddev=stddev))
        conv = tf.nn.conv2d(input_, w, strides=[1, d_h, d_w, 1], padding='SAME')

        biases = tf.get_variable('biases', [output_dim], initializer=tf.constant_initializer(0.0))
        conv = tf.reshape(tf.nn.bias_add(conv, biases), tf.shape(conv))

        return conv


def linear(input_, output_size, scope=None, stddev=0.02, bias_start=0.0, with_w=False):
    shape = input_.get_shape().as_list()

    with tf.variable_scope(scope or "Linear"):
        matrix = tf.get_variable("Matrix", [shape[1], output_size], tf.float32,
                                 tf.random_normal_initializer(stddev=stddev))
        bias = tf.get_variable("bias", [output_size],
                               initializer=tf.constant_initializer(bias_start))
        if with_w:
            return tf.matmul(input_, matrix) + bias, matrix, bias
        else:
            return tf.matmul(input_, matrix) + bias


def discriminator(image, df_dim=8, reuse=False):
    with tf.variable_scope("discriminator") as scope:
        if reuse:
            scope.reuse_variables()

        h0 = lrelu(conv2d(image, df_dim, name='d_h0_conv'))
        h1 = lrelu(conv2d(h0, df_dim * 2, name='d_h1_conv'))
        h2 = lrelu(conv2d(h1, df_dim * 4, name='d_h2_conv'))
        h3 = linear(tf.reshape(h2, [-1, 4 * 4 * df_dim * 4]), 1, 'd_h3_lin')

        return tf.nn.sigmoid(h3), h3


def generator(z, gf_dim=8):
    with tf.variable_scope("generator"):
        h0 = tf.nn.relu(linear(z, 4 * 4 * gf_dim, 'g_h0_lin'))
        h1 = linear(h0, 32 * 32 * 3, 'g_h1_lin')
        return tf.nn.tanh(tf.reshape(h1, [-1, 32, 32, 3]))


inputs = tf.placeholder(tf.float32, [None, 32, 32, 3], name='real_images')
generated = tf.placeholder(tf.float32, [None, 32, 32, 3], name='generated_images')
z = tf.placeholder(tf.float32, [None, 16], name='z')

G = generator(z)
D, D_logits = discriminator(inputs)
D_, D_logits_ = discriminator(generated, reuse=True)
D_g, D_logits_g = discriminator(G, reuse=True)

d_loss_real = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logits, labels=tf.ones_like(D)))
d_loss_fake = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logits_, labels=tf.zeros_like(D_)))
d_loss = d_loss_real + d_loss_fake
g_loss = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(logits=D_logits_g, labels=tf.ones_like(D_g)))

t_vars = tf.trainable_variables()
d_vars = [var for var in t_vars if 'd_' in var.name]
g_vars = [var for var in t_vars if 'g_' in var.name]
