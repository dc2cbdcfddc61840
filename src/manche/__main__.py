from manche.cli import main

main()
