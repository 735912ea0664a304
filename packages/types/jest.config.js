module.exports = {
  displayName: 'types',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
