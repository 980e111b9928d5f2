"""A bidirectional LSTM sentence encoder: forward and backward states concatenated into one vector."""
import numpy as np
import tensorflow as tf

embed_dim, hidden = 8, 16

sentences = tf.placeholder(tf.float32, [None, 6, embed_dim], name="sentences")

cell_fw = tf.nn.rnn_cell.BasicLSTMCell(hidden)
cell_bw = tf.nn.rnn_cell.BasicLSTMCell(hidden)
(outputs_fw, outputs_bw), (state_fw, state_bw) = tf.nn.bidirectional_dynamic_rnn(
    cell_fw, cell_bw, sentences, dtype=tf.float32
)
token_features = tf.concat([outputs_fw, outputs_bw], axis=2)
sentence_vector = tf.concat([state_fw[1], state_bw[1]], axis=1)  # the final h of each direction

batch = np.random.RandomState(2).normal(size=(3, 6, embed_dim)).astype(np.float32)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    features, vector = sess.run([token_features, sentence_vector], feed_dict={sentences: batch})
    print(features.shape, vector.shape)
