module.exports = {
  displayName: 'augment',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
