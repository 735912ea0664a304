module.exports = {
  displayName: 'models',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
