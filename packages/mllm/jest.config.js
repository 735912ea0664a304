module.exports = {
  displayName: 'mllm',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
