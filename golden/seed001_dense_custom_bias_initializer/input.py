import tensorflow as tf
import numpy as np

def my_bias_initializer(shape, dtype=None):
  return tf.constant(np.random.uniform(low=-0.1, high=0.1, size=shape), dtype=dtype)

model = tf.keras.Sequential([
  tf.keras.layers.Dense(64, activation='relu', kernel_initializer='glorot_uniform', bias_initializer=my_bias_initializer, input_shape=(784,)),
  tf.keras.layers.Dense(10, activation='softmax')
])

model.compile(optimizer='adam',
              loss='categorical_crossentropy',
              metrics=['accuracy'])
