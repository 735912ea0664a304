module.exports = {
  displayName: 'onnx-graph',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
