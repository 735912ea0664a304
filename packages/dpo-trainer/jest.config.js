module.exports = {
  displayName: 'dpo-trainer',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
};
