import tensorflow as tf
import os

# Original model definition
class SimpleModel(tf.keras.Model):
    def __init__(self):
        super(SimpleModel, self).__init__()
        self.dense1 = tf.keras.layers.Dense(10, activation='relu', name = 'dense1')
        self.dense2 = tf.keras.layers.Dense(5, name = 'dense2')
    def call(self, inputs):
        x = self.dense1(inputs)
        return self.dense2(x)

model = SimpleModel()
x = tf.random.normal(shape=(1, 20))
y = model(x)

optimizer = tf.keras.optimizers.Adam(0.01)
with tf.GradientTape() as tape:
    y_hat = model(x)
    loss = tf.reduce_sum(y_hat)

grads = tape.gradient(loss, model.trainable_variables)
optimizer.apply_gradients(zip(grads, model.trainable_variables))
model.save_weights('my_model_weights')

# Modified model definition - layers are modified here
class ModifiedSimpleModel(tf.keras.Model):
    def __init__(self):
        super(ModifiedSimpleModel, self).__init__()
        self.dense_1 = tf.keras.layers.Dense(10, activation='relu', name = 'dense_1') #Layer named differently
        self.dense_2 = tf.keras.layers.Dense(5, name = 'dense_2')
    def call(self, inputs):
        x = self.dense_1(inputs)
        return self.dense_2(x)

model_loaded = ModifiedSimpleModel()
model_loaded(x)
model_loaded.load_weights('my_model_weights') #This will cause the error when model is used for training
