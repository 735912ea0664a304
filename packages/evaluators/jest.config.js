module.exports = {
  displayName: 'evaluators',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
