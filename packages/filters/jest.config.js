module.exports = {
  displayName: 'filters',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
